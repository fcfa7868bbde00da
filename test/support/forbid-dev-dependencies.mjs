// `node --import <this file>`: any import of a devDependency (tsx, typescript, vitest, …) fails, as it would
// in the production image, where only production dependencies are installed.
import { register } from 'node:module';

register('./forbid-dev-dependencies-hooks.mjs', import.meta.url);

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultProfilePath } from '../../src/app/bot-core.js';
import { forceName, loadForceProfile, parseForceProfile } from '../../src/config/force-profile.js';
import { ConfigError } from '../../src/core/errors.js';

describe('force profile', () => {
  it('ships a valid Staffordshire Police default with 24/7 call handlers', async () => {
    const profile = await loadForceProfile(defaultProfilePath());
    expect(profile).toMatchObject({
      name: 'Staffordshire Police',
      website: 'staffordshire.police.uk',
      reportUrl: 'https://www.staffordshire.police.uk/ro/report/ocr/af/how-to-report-a-crime/',
      timeZone: 'Europe/London',
      callHandlerHours: 'always',
    });
  });

  it('accepts weekly hours and localised names', () => {
    const profile = parseForceProfile({
      id: 'dyfed-powys',
      name: 'Dyfed-Powys Police',
      localisedNames: { cy: 'Heddlu Dyfed-Powys' },
      website: 'dyfed-powys.police.uk',
      reportUrl: 'https://www.dyfed-powys.police.uk/ro/report/',
      timeZone: 'Europe/London',
      callHandlerHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '20:00' }],
    });
    expect(forceName(profile, 'cy')).toBe('Heddlu Dyfed-Powys');
    expect(forceName(profile, 'pl')).toBe('Dyfed-Powys Police');
  });

  it('takes the page that lists the force\'s accounts, or the site\'s home page when none is given', async () => {
    const base = {
      id: 'dyfed-powys', name: 'Dyfed-Powys Police', website: 'dyfed-powys.police.uk', reportUrl: 'https://www.dyfed-powys.police.uk/ro/report/',
      timeZone: 'Europe/London', callHandlerHours: 'always',
    };
    expect(parseForceProfile(base).verifyUrl).toBe('https://dyfed-powys.police.uk/');
    expect(parseForceProfile({ ...base, verifyUrl: 'https://www.dyfed-powys.police.uk/social-media/' }).verifyUrl).toBe('https://www.dyfed-powys.police.uk/social-media/');
    expect(() => parseForceProfile({ ...base, verifyUrl: 'http://example.com/' })).toThrow(/verifyUrl/);
  });

  it('names each invalid field', () => {
    expect(() =>
      parseForceProfile({ id: 'X', name: 'A', website: 'nope', reportUrl: 'http://insecure', timeZone: 'UTC', callHandlerHours: [] }),
    ).toThrow(/id: .*name: .*website: .*reportUrl: .*timeZone: .*callHandlerHours/s);
  });

  it('reports unreadable and non-JSON files as configuration errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    await expect(loadForceProfile(join(dir, 'bad.json'))).rejects.toBeInstanceOf(ConfigError);
    await expect(loadForceProfile(join(dir, 'missing.json'))).rejects.toThrow(/cannot read/);
  });
});

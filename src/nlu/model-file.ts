/** The understanding model's file name, in the locales folder beside the languages it was trained on. */
export const MODEL_FILE = 'understanding-model.bin';

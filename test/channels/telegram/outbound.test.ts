import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../../src/channels/telegram/outbound.js';

describe('renderMessage', () => {
  it('puts choices one per row, then http(s) link buttons, on the last part only', () => {
    const { parts } = renderMessage({
      text: `${'a'.repeat(4000)}\n\n${'b'.repeat(200)}`,
      choices: [{ id: 'yes', label: 'Yes' }],
      links: [
        { label: 'Childline', url: 'https://www.childline.org.uk/' },
        { label: 'Call', url: 'tel:08001111' },
      ],
    });
    expect(parts).toHaveLength(2);
    expect(parts[0]?.replyMarkup).toBeUndefined();
    expect(parts[1]?.replyMarkup).toEqual({
      inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }], [{ text: 'Childline', url: 'https://www.childline.org.uk/' }]],
    });
  });

  it('counts choices whose id exceeds 64 bytes (multi-byte characters included) and drops them', () => {
    const { parts, droppedChoices } = renderMessage({
      text: 'Pick one',
      choices: [
        { id: 'é'.repeat(32), label: 'Fits: 64 bytes' },
        { id: 'é'.repeat(33), label: 'Does not fit: 66 bytes' },
      ],
      links: [],
    });
    expect(droppedChoices).toBe(1);
    expect(parts[0]?.replyMarkup?.inline_keyboard).toHaveLength(1);
  });

  it('trims long labels and caps the keyboard at 100 buttons', () => {
    const choices = Array.from({ length: 120 }, (_, i) => ({ id: `c${i}`, label: `Option number ${i} with a label far longer than any phone would show in one button` }));
    const { parts } = renderMessage({ text: 'Pick', choices, links: [] });
    const keyboard = parts[0]?.replyMarkup?.inline_keyboard ?? [];
    expect(keyboard).toHaveLength(100);
    const first = keyboard[0]?.[0];
    expect(first && 'text' in first ? first.text.length : 0).toBeLessThanOrEqual(64);
    expect(first && 'text' in first ? first.text.endsWith('…') : false).toBe(true);
  });

  it('sends nothing for an empty text', () => {
    expect(renderMessage({ text: '  ', choices: [{ id: 'a', label: 'A' }], links: [] }).parts).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { line, runChatJsonl } from '../support/run-chat.js';

describe('npm run chat -- --jsonl', () => {
  it('answers every input line, in order, with JSON lines only, and exits 0', async () => {
    const { code, stdout, stderr, outputs } = await runChatJsonl([
      line({ user: 'alex', text: 'hi' }),
      line({ user: 'alex', choice: 'next' }),
      line({ user: 'alex', text: 'no im safe' }),
      line({ user: 'alex', text: 'im 15' }),
      line({ user: 'alex', attachment: 'image' }),
      line({ user: 'alex', text: 'i want to kms' }),
    ]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const raw of stdout.trimEnd().split('\n')) {
      const parsed = JSON.parse(raw) as Record<string, unknown>;
      expect(Object.keys(parsed).sort()).toEqual(['choices', 'text', 'turn', 'user']);
    }
    const turns = outputs.map((o) => o.turn);
    expect(turns).toEqual([...turns].sort((a, b) => a - b));
    expect(new Set(turns)).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(outputs.every((o) => o.user === 'alex')).toBe(true);

    const textOf = (turn: number) => outputs.filter((o) => o.turn === turn).map((o) => o.text).join('\n');
    expect(textOf(1)).toMatch(/not your fault/i);
    expect(outputs.find((o) => o.turn === 1 && o.choices.length > 0)?.choices[0]).toMatchObject({ id: expect.any(String), label: expect.any(String) });
    expect(textOf(4)).toContain('child sexual abuse');
    expect(textOf(4)).toContain('ceop.police.uk');
    expect(textOf(4)).toContain('0800 1111');
    expect(textOf(5)).toMatch(/don.t send|do not send/i);
    expect(textOf(6)).toContain('999');
    expect(textOf(6)).toContain('116 123');
    expect(textOf(6)).toContain('0800 1111');
  });

  it('simulates "clear this chat": says on stderr which numbered messages it would delete, and replies with one neutral line', async () => {
    const { code, stderr, outputs } = await runChatJsonl([
      line({ user: 'sam', text: 'hi' }),
      line({ user: 'sam', choice: 'safe' }),
      line({ user: 'sam', text: 'my mum is coming' }),
      line({ user: 'sam', choice: 'clear_yes' }),
    ]);
    expect(code).toBe(0);
    // Each typed line and each bot message is numbered in order, as a platform numbers messages: 1 is "hi", 2-3 the greeting...
    const before = outputs.filter((o) => o.turn < 4).length;
    const wouldDelete = stderr.trim().split('\n').map((l) => JSON.parse(l) as { user: string; turn: number; wouldDelete: { person: string[]; bot: string[] } });
    expect(wouldDelete).toHaveLength(1);
    expect(wouldDelete[0]).toMatchObject({ user: 'sam', turn: 4 });
    const all = [...wouldDelete[0]!.wouldDelete.person, ...wouldDelete[0]!.wouldDelete.bot].map(Number).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: before + 2 }, (_, i) => i + 1));
    // The person's typed lines: "hi" (1) and "my mum is coming", numbered after the replies to turns 1 and 2 (a pressed button is no message).
    const typedAtTurn3 = 1 + outputs.filter((o) => o.turn <= 2).length + 1;
    expect(wouldDelete[0]!.wouldDelete.person).toEqual(['1', String(typedAtTurn3)]);
    expect(outputs.filter((o) => o.turn === 4).map((o) => o.text)).toEqual(['Chat cleared. Type hi to start again.']);
  });

  it('keeps each user in their own conversation and uses the locale hint', async () => {
    const { outputs } = await runChatJsonl([
      line({ user: 'a', text: 'hello', locale: 'en-US' }),
      line({ user: 'b', text: 'hello' }),
      line({ user: 'a', choice: 'next' }),
    ]);
    const a = outputs.filter((o) => o.user === 'a');
    const b = outputs.filter((o) => o.user === 'b');
    expect(a.map((o) => o.turn)).toEqual(expect.arrayContaining([1, 3]));
    expect(b.every((o) => o.turn === 2)).toBe(true);
    // b's first message is a welcome, like a's: they do not share state.
    expect(b.map((o) => o.text)).toEqual(a.filter((o) => o.turn === 1).map((o) => o.text));
  });

  it('reports lines that are not valid JSON on stderr and skips them', async () => {
    const { code, stderr, outputs } = await runChatJsonl([
      line({ user: 'a', text: 'hi' }),
      '{"user": "a", "text": ',
      line({ text: 'no user' }),
      line({ user: 'a', attachment: 'hologram' }),
      line({ user: 'a', text: 'should i pay' }),
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain('line 2: not valid JSON');
    expect(stderr).toContain('line 3:');
    expect(stderr).toContain('line 4:');
    expect(new Set(outputs.map((o) => o.turn))).toEqual(new Set([1, 5]));
  });

  it('survives hostile input: empty, huge, control and bidi characters, emoji, HTML, and floods', async () => {
    const hostile = [
      '',
      '    ',
      'x'.repeat(12_000),
      'hello\u0000\u0007\u202e\u2066world',
      '😭😭😭',
      '<script>alert(1)</script><b>help</b>',
    ];
    const flood = Array.from({ length: 200 }, (_, i) => line({ user: 'flood', text: `message ${i}` }));
    const { code, outputs } = await runChatJsonl([...hostile.map((text) => line({ user: 'h', text })), ...flood]);
    expect(code).toBe(0);
    const answered = new Set(outputs.map((o) => o.turn));
    for (let turn = 1; turn <= hostile.length + flood.length; turn++) expect(answered.has(turn)).toBe(true);
    const all = outputs.map((o) => o.text).join('\n');
    expect(all).not.toContain('<script>');
    expect(all).not.toContain('xxxxxxxxxx');
    expect(all).not.toContain('\u202e');
    const floodReplies = outputs.filter((o) => o.user === 'flood').map((o) => o.text);
    expect(floodReplies.some((t) => /too (quickly|fast)|slow down|wait a minute/i.test(t))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { platformOf } from '../../src/handoff/channel-platform.js';

describe('platformOf', () => {
  it('names Bot Framework conversations by the platform the person is on, from the channel id in the key', () => {
    expect(platformOf('botframework:facebook:1234-5678')).toBe('messenger');
    expect(platformOf('botframework:msteams:a:1Xk')).toBe('teams');
    expect(platformOf('botframework:webchat:Dq1')).toBe('webchat');
    expect(platformOf('botframework:directline:Dq1')).toBe('webchat');
    expect(platformOf('botframework:emulator:abc')).toBe('emulator');
    expect(platformOf('botframework:slack:T1:C2')).toBe('slack');
  });

  it('names the other channels, and never passes on anything but a plain platform name', () => {
    expect(platformOf('telegram:42')).toBe('telegram');
    expect(platformOf('twitter:3001')).toBe('x');
    expect(platformOf('terminal:sam')).toBe('terminal');
    expect(platformOf('botframework:<b>evil</b>:1')).toBe('unknown');
    expect(platformOf('botframework:nocolon')).toBe('unknown');
    expect(platformOf('nonsense')).toBe('unknown');
  });
});

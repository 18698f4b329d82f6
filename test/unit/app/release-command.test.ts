import { parseReleaseCommand } from '../../../src/app/release-command';

describe('the release commands', () => {
  it('lists and moves releases; ordinary words are not commands', () => {
    expect(parseReleaseCommand('releases')).toEqual({ kind: 'list' });
    expect(parseReleaseCommand('release next qa')).toEqual({ kind: 'move', day: 'next', move: 'qa', notes: '' });
    expect(parseReleaseCommand('release 2026-03-19 released VAT fixed\nand exports')).toEqual({
      kind: 'move',
      day: '2026-03-19',
      move: 'released',
      notes: 'VAT fixed\nand exports',
    });
    expect(parseReleaseCommand('Release next slipped')).toMatchObject({ move: 'slip' });
    expect(parseReleaseCommand('release')).toEqual({ kind: 'usage' });
    // A requester's words about a release are their message, not a command.
    expect(parseReleaseCommand('release notes?')).toBeNull();
    expect(parseReleaseCommand('release next week please')).toBeNull();
    expect(parseReleaseCommand('when is the next release')).toBeNull();
  });
});

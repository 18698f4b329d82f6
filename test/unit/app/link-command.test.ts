import { parseLinkCommand } from '../../../src/app/link-command';

describe('the link command parser (Slack and Teams share it)', () => {
  it.each([
    ['link SR-1 to SR-2', { kind: 'link', ticket: 'SR-1', link: 'related_to', to: 'SR-2' }],
    ['link sr-1 with sr-2', { kind: 'link', ticket: 'SR-1', link: 'related_to', to: 'SR-2' }],
    ['SR-1 related to SR-2', { kind: 'link', ticket: 'SR-1', link: 'related_to', to: 'SR-2' }],
    ['SR-3 part of SR-2', { kind: 'link', ticket: 'SR-3', link: 'part_of', to: 'SR-2' }],
    ['link SR-3 part of incident SR-2.', { kind: 'link', ticket: 'SR-3', link: 'part_of', to: 'SR-2' }],
    ['unlink SR-3', { kind: 'unlink', ticket: 'SR-3' }],
    ['unlink SR-3 from incident SR-2', { kind: 'unlink', ticket: 'SR-3' }],
  ])('%s', (text, want) => {
    expect(parseLinkCommand(text)).toEqual(want);
  });

  it('in a ticket context the ticket may go unsaid; without one it is not a command', () => {
    expect(parseLinkCommand('part of SR-2', 'SR-7')).toEqual({
      kind: 'link',
      ticket: 'SR-7',
      link: 'part_of',
      to: 'SR-2',
    });
    expect(parseLinkCommand('unlink', 'SR-7')).toEqual({ kind: 'unlink', ticket: 'SR-7' });
    expect(parseLinkCommand('part of SR-2')).toBeNull();
    expect(parseLinkCommand('unlink')).toBeNull();
  });

  it('ordinary sentences are not commands', () => {
    for (const text of ['SR-1 to SR-2', 'I want to link my account', 'please see SR-4', 'status SR-1', 'to 12'])
      expect(parseLinkCommand(text)).toBeNull();
  });
});

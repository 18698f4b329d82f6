import { chooseThreshold, figuresAt, type scoreSet } from '../../../bench/triage-eval/knowledge';

type Scored = ReturnType<typeof scoreSet>;
const row = (article: string | null, best: string | null, score: number, fault: string | null = null) => ({
  item: { text: `${article}`, article, writer: 'w1' },
  best,
  score,
  fault,
});

describe('knowledge evaluation harness', () => {
  const scored: Scored = [
    row('a', 'a', 50),
    row('a', 'a', 30),
    row('b', 'a', 28), // the wrong article
    row(null, 'a', 20), // needed a ticket
    row(null, 'b', 60, 'broken'), // a fault: never offered
    row('b', 'b', 10),
  ];

  it('counts precision, recall and the requests that needed a ticket but got an article', () => {
    expect(figuresAt(scored, 0)).toEqual({
      requests: 6,
      answerable: 4,
      offered: 5,
      right: 3,
      wronglyDeflected: 1,
      precision: 0.6,
      recall: 0.75,
    });
    expect(figuresAt(scored, 1000)).toMatchObject({ offered: 0, precision: 1, recall: 0 });
  });

  it('chooses the lowest threshold whose precision reaches 90 %, for the best recall', () => {
    expect(chooseThreshold(scored)).toBe(30);
    expect(figuresAt(scored, 30)).toMatchObject({ offered: 2, right: 2, precision: 1, recall: 0.5 });
  });
});

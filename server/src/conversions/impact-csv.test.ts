import { describe, expect, it } from 'vitest';
import { csvCell } from './impact-csv';

describe('csvCell', () => {
  it('quotes what needs quoting and defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('#postcode')).toBe('#postcode');
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('writes numbers plainly, at most six decimals, and null as empty', () => {
    expect(csvCell(30)).toBe('30');
    expect(csvCell(-0.25)).toBe('-0.25');
    expect(csvCell(1 / 3)).toBe('0.333333');
    expect(csvCell(null)).toBe('');
  });
});

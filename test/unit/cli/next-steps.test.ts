import { describe, expect, it } from 'vitest';
import { nextSteps } from '../../../src/cli/prompts/next-steps.js';

describe('the next steps printed after a generation', () => {
  it('go into a project below the current directory by its relative path', () => {
    expect(nextSteps('/home/ana/work/shop-api', undefined, '/home/ana/work')).toBe('Next:\n  cd shop-api\n  npm install && npm run dev');
  });

  it('name a project elsewhere by its absolute path', () => {
    expect(nextSteps('/srv/shop-api', undefined, '/home/ana/work')).toBe('Next:\n  cd /srv/shop-api\n  npm install && npm run dev');
  });

  it('leave out the cd when the project is the current directory (a regeneration in place)', () => {
    expect(nextSteps('/home/ana/work/shop-api', undefined, '/home/ana/work/shop-api')).toBe('Next:\n  npm install && npm run dev');
  });

  it('quote a directory with spaces and put a chosen database URL on the command line only', () => {
    expect(nextSteps('/home/ana/work/shop api', 'postgres://app:s3cret@db:5432/shop', '/home/ana/work')).toBe("Next:\n  cd 'shop api'\n  npm install && DATABASE_URL=postgres://app:s3cret@db:5432/shop npm run dev");
  });
});

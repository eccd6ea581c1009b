import { createTwoFilesPatch } from 'diff';

/**
 * Bounds on one revision diff, using the diff library's own limits: Myers' algorithm costs about
 * (lines × edits), so a rewrite of a 4,000-line body took seconds. Past either bound the diff is not
 * computed and the revision says so (`diff: null, diffTruncated: true`).
 */
export const REVISION_DIFF_LIMITS = Object.freeze({
  /**
   * Changed lines (insertions + deletions) beyond which no diff is produced. The first revision is
   * diffed against nothing, which costs linear time, so only the timeout applies to it.
   */
  maxEditLength: 1000,
  /** Wall-clock cap on one diff, whatever the edit length. */
  timeoutMs: 200,
  context: 3,
});

export interface RevisionContent {
  number: number;
  title: string;
  description: string;
  body: string;
  tagList: string[];
}

export interface RevisionDiff {
  /** Unified diff against the revision before, or null when it was too large to compute. */
  diff: string | null;
  diffTruncated: boolean;
}

/** The whole article as text, so one unified diff shows title, description, tags and body changes. */
function asDocument(revision: RevisionContent | undefined): string {
  if (!revision) return '';
  return [`# ${revision.title}`, '', `> ${revision.description}`, '', `tags: ${revision.tagList.join(', ')}`, '', revision.body, ''].join('\n');
}

/** A unified diff of a revision against the one before it (the first against nothing), bounded. */
export function diffAgainstPrevious(previous: RevisionContent | undefined, current: RevisionContent): RevisionDiff {
  const diff = createTwoFilesPatch(
    previous ? `revision-${previous.number}` : 'empty',
    `revision-${current.number}`,
    asDocument(previous),
    asDocument(current),
    undefined,
    undefined,
    {
      context: REVISION_DIFF_LIMITS.context,
      maxEditLength: previous ? REVISION_DIFF_LIMITS.maxEditLength : Infinity,
      timeout: REVISION_DIFF_LIMITS.timeoutMs,
    },
  );
  return diff === undefined ? { diff: null, diffTruncated: true } : { diff, diffTruncated: false };
}

import { renderMarkdown, RENDERER_VERSION } from '../../domain/markdown';
import { ArticleModel, type Article } from '../../models/article';

export const CURRENT_RENDERER_VERSION = String(RENDERER_VERSION);

/** The stored rendering of a Markdown body (rendered on write, never on a hot read path). */
export function renderedFields(body: string) {
  const rendered = renderMarkdown(body);
  return {
    bodyHtml: rendered.html,
    excerpt: rendered.excerpt,
    readingTimeMinutes: rendered.readingTimeMinutes,
    images: rendered.images,
    rendererVersion: CURRENT_RENDERER_VERSION,
  };
}

type Renderable = Pick<Article, 'body' | 'rendererVersion'> & { _id: unknown };

/**
 * Articles rendered by an older renderer are rendered again when next read and stored, guarded by
 * the old version so a concurrent edit is never overwritten with a stale body.
 */
export async function refreshStaleRenderings<T extends Renderable>(articles: T[]): Promise<T[]> {
  return Promise.all(
    articles.map(async (article) => {
      if (article.rendererVersion === CURRENT_RENDERER_VERSION) return article;
      const fields = renderedFields(article.body);
      await ArticleModel.updateOne({ _id: article._id, rendererVersion: article.rendererVersion, body: article.body }, { $set: fields });
      return { ...article, ...fields };
    }),
  );
}

import { RENDERER_VERSION } from '../../domain/markdown';
import { AppError } from '../../lib/errors';
import { renderOffThread } from '../rendering/renderPool';
import { ArticleModel, type Article } from '../../models/article';

export const CURRENT_RENDERER_VERSION = String(RENDERER_VERSION);

/** The stored rendering of a Markdown body (rendered on write, never on a hot read path). */
export async function renderedFields(body: string) {
  const rendered = await renderOffThread(body);
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
      let fields;
      try {
        fields = await renderedFields(article.body);
      } catch (error) {
        // A body stored before a limit existed keeps its old rendering rather than failing the read.
        if (error instanceof AppError) return article;
        throw error;
      }
      await ArticleModel.updateOne({ _id: article._id, rendererVersion: article.rendererVersion, body: article.body }, { $set: fields });
      return { ...article, ...fields };
    }),
  );
}

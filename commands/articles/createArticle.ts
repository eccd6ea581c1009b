import type { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import type { StoredArticle } from './findArticle';
import { renderedFields } from './rendering';
import { adjustTagCounts } from './tagCounts';
import { withFreshSlug } from './allocateSlug';

export interface NewArticle {
  title: string;
  description: string;
  body: string;
  tagList: string[];
}

/** Publishes an article: slug from the title, Markdown rendered and stored, tag counts kept. */
export async function createArticle(author: Types.ObjectId, input: NewArticle): Promise<StoredArticle> {
  const rendered = renderedFields(input.body);
  const created = await withFreshSlug(input.title, (slug) => ArticleModel.create({ ...input, ...rendered, slug, author }));
  await adjustTagCounts(input.tagList, []);
  return created.toObject() as StoredArticle;
}

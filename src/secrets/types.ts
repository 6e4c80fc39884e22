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

/** Why a reference would not resolve, and what to do; never holds a secret value. */
export interface SecretCheck {
  reason: string;
  hint?: string;
}

export interface SecretResolver {
  resolve(ref: string): Promise<string>;
  /**
   * Whether `ref` would resolve (undefined) or why not, looking only at presence and readability:
   * the value is not returned, kept or registered. A resolver without it is not checked by `plan`.
   */
  check?(ref: string): Promise<SecretCheck | undefined>;
}

/**
 * One conversation with an OCI registry about one repository: requests under `/v2/`, bounded by
 * http.ts, answered with credentials per oci-auth.ts. The `Authorization` it earns (a bearer token
 * for the repository's scope, or basic) is kept for the rest of the conversation, so a listing
 * that reads many pages and manifests asks the token endpoint once.
 */
import type { RegistryAccess } from '../types.js';
import { originOf, UpdateSourceError } from './errors.js';
import { type HttpResponse, request, statusError } from './http.js';
import { answerChallenge, parseChallenge } from './oci-auth.js';

export interface OciRequest {
  method?: 'GET' | 'HEAD';
  accept?: string;
  maxBytes: number;
}

export class OciClient {
  readonly registry: string;
  private readonly base: URL;
  private authorization: string | undefined;
  private challenged = false;

  constructor(
    private readonly access: RegistryAccess,
    readonly repository: string,
    private readonly signal: AbortSignal,
    private readonly countRequest: () => void,
  ) {
    this.registry = originOf(access.url);
    try {
      this.base = new URL(access.url);
    } catch {
      throw new UpdateSourceError('bad-config', 'the OCI registry URL is not a URL');
    }
    if (this.base.protocol === 'http:' && access.insecure !== true) {
      throw new UpdateSourceError(
        'bad-config',
        `${this.registry} is plain http; mark the registry insecure to allow that`,
      );
    }
    if (access.token !== undefined && access.token !== '') this.authorization = `Bearer ${access.token}`;
  }

  /** The URL of `/v2/<repository>/<rest>` on this registry. */
  url(rest: string): URL {
    return new URL(`/v2/${this.repository}/${rest}`, this.base);
  }

  /** Whether `url` is on this registry (a `Link` must not send us elsewhere). */
  owns(url: URL): boolean {
    return url.origin === this.base.origin;
  }

  /** Send a request, answering one 401 challenge; any status is returned to the caller. */
  async send(url: URL, options: OciRequest): Promise<HttpResponse> {
    let response = await this.once(url, options);
    if (response.status === 401 && !this.challenged) {
      this.challenged = true;
      const challenge = parseChallenge(response.headers.get('www-authenticate'));
      this.authorization = await answerChallenge(challenge, {
        access: this.access,
        repository: this.repository,
        signal: this.signal,
        countRequest: this.countRequest,
      });
      response = await this.once(url, options);
    }
    return response;
  }

  /** Like `send`, but anything but 200 is an error in our words. */
  async ok(url: URL, options: OciRequest): Promise<HttpResponse> {
    const response = await this.send(url, options);
    if (response.status !== 200) throw statusError(response.status, this.registry);
    return response;
  }

  private once(url: URL, options: OciRequest): Promise<HttpResponse> {
    return request(url.href, {
      method: options.method ?? 'GET',
      ...(options.accept !== undefined ? { accept: options.accept } : {}),
      headers: this.authorization !== undefined ? { authorization: this.authorization } : {},
      // No credentials here: it only tells http.ts which origin the header above belongs to, so a
      // redirect to blob storage elsewhere does not carry it.
      access: { url: this.base.origin },
      maxBytes: options.maxBytes,
      signal: this.signal,
      countRequest: this.countRequest,
    });
  }
}

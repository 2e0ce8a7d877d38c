/**
 * The D7 client as the extension holds it from activation: the four calls, forwarding to a client made on the
 * first call (the extension builds it from dist/chunks/, with node-fetch: none of that is read at activation).
 * A load that failed is tried again on the next call. No `vscode` import.
 */
import type { D7VerifyClient } from './client';

export type VerifyClient = Pick<D7VerifyClient, 'getStatus' | 'sendOtp' | 'resendOtp' | 'verifyOtp'>;

export function lazyClient(load: () => Promise<VerifyClient>): VerifyClient {
  let loading: Promise<VerifyClient> | undefined;
  const client = () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    getStatus: async (...args) => (await client()).getStatus(...args),
    sendOtp: async (...args) => (await client()).sendOtp(...args),
    resendOtp: async (...args) => (await client()).resendOtp(...args),
    verifyOtp: async (...args) => (await client()).verifyOtp(...args),
  };
}

import { isIPv6 } from 'node:net';
import type { SourceEndpoint } from '../../model/index.ts';
import { classifyClient } from '../client-kind.ts';

/*
 * Dotted quads, leading zeros allowed: published samples mask addresses as `06.237.252.245`,
 * which `net.isIPv4` rejects but which is still an address, not a service name.
 */
const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;

/**
 * Where the call came from. `sourceIPAddress` holds an address, or the host name of the
 * AWS service that called on the actor's behalf (`autoscaling.amazonaws.com`), or
 * `AWS Internal`; the latter two are a service, not an address.
 *
 * @example
 * readSource('autoscaling.amazonaws.com', 'autoscaling.amazonaws.com').clientKind; // 'cloud_service'
 */
export function readSource(
  sourceIPAddress: string | undefined,
  userAgent: string | undefined,
): SourceEndpoint {
  const address = sourceIPAddress?.trim();
  const isAddress = address !== undefined && (IPV4.test(address) || isIPv6(address));
  const service = address && !isAddress ? address : undefined;
  return {
    ...(isAddress ? { ip: address } : {}),
    ...(service ? { service } : {}),
    ...(userAgent !== undefined && userAgent !== '' ? { userAgent } : {}),
    clientKind: classifyClient(userAgent || undefined, service),
  };
}

/**
 * The `default` of an exhaustive `switch` over a message's `type`: `message` has type `never`
 * when every case is handled, so an unhandled new message is a compile error here.
 * @throws Error at run time for a message of an unknown type (a newer or foreign sender)
 */
export function unreachable(message: never): never {
  throw new Error(`unknown message: ${JSON.stringify((message as { type?: unknown })?.type)}`);
}

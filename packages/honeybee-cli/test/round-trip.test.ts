/** `honeybee relay`, `pub` and `req` together, as separate processes on real sockets. */
import { finalizeEvent, getPublicKey } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import { lines, run, start, startRelayProcess } from './helpers/cli.js'

const SEC = '7f'.repeat(32)
const PUBKEY = getPublicKey(Uint8Array.from(Buffer.from(SEC, 'hex')))

interface Verdict {
  relay: string
  id: string
  accepted: boolean
  message: string
}

const verdicts = (stdout: string): Verdict[] => lines(stdout).map((line) => JSON.parse(line) as Verdict)

describe.concurrent('relay + pub + req', { timeout: 60_000 }, () => {
  it('publishes a signed event and reads it back, tags and content as given', async () => {
    const { url } = await startRelayProcess()
    const pub = await run([
      'pub',
      url,
      '--sec',
      SEC,
      '--content',
      'hello honeybee',
      '--kind',
      '7',
      '--tag',
      't=demo',
      '--tag',
      'e=x=y',
    ])
    expect(pub.code).toBe(0)
    const [verdict, ...others] = verdicts(pub.stdout)
    expect(others).toEqual([])
    expect(verdict).toEqual({
      relay: url,
      id: expect.stringMatching(/^[0-9a-f]{64}$/),
      accepted: true,
      message: '',
    })

    const req = await run(['req', url, '--filter', JSON.stringify({ authors: [PUBKEY], kinds: [7] })])
    expect(req.code).toBe(0)
    const events = lines(req.stdout).map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(events).toEqual([
      expect.objectContaining({
        id: verdict?.id,
        pubkey: PUBKEY,
        kind: 7,
        content: 'hello honeybee',
        tags: [
          ['t', 'demo'],
          ['e', 'x=y'],
        ],
      }),
    ])
  })

  it('prints an event several relays hold once, and pipes req into pub', async () => {
    const [one, two, three] = await Promise.all([
      startRelayProcess(),
      startRelayProcess(),
      startRelayProcess(),
    ])
    const pub = await run(['pub', one.url, two.url, '--sec', SEC, '--content', 'on two relays'])
    expect(pub.code).toBe(0)
    expect(
      verdicts(pub.stdout)
        .map((v) => [v.relay, v.accepted])
        .sort(),
    ).toEqual(
      [
        [one.url, true],
        [two.url, true],
      ].sort(),
    )

    const req = await run(['req', one.url, two.url, '--filter', '{"kinds":[1]}'])
    expect(req.code).toBe(0)
    expect(lines(req.stdout)).toHaveLength(1)

    // The printed lines are signed events: they can be published elsewhere as they are.
    const copy = await run(['pub', three.url], req.stdout)
    expect(copy.code).toBe(0)
    expect(verdicts(copy.stdout)).toEqual([
      { relay: three.url, id: verdicts(pub.stdout)[0]?.id, accepted: true, message: '' },
    ])
  })

  it("exits 1 and prints the relay's reason when an event is refused", async () => {
    const { url } = await startRelayProcess()
    const future = finalizeEvent(
      { kind: 1, created_at: Math.floor(Date.now() / 1000) + 3600, tags: [], content: 'from the future' },
      Uint8Array.from(Buffer.from(SEC, 'hex')),
    )
    const { code, stdout } = await run(['pub', url], `${JSON.stringify(future)}\n`)
    expect(code).toBe(1)
    expect(verdicts(stdout)).toEqual([
      { relay: url, id: future.id, accepted: false, message: expect.stringMatching(/^invalid: created_at/) },
    ])
  })

  it('pub: a relay that never answers is a timeout, exit 1; the others still answer', async () => {
    const { url } = await startRelayProcess()
    const { code, stdout } = await run([
      'pub',
      url,
      'ws://127.0.0.1:1',
      '--content',
      'x',
      '--timeout',
      '5000',
    ])
    expect(code).toBe(1)
    const byRelay = Object.fromEntries(verdicts(stdout).map((v) => [v.relay, v]))
    expect(byRelay[url]?.accepted).toBe(true)
    expect(byRelay['ws://127.0.0.1:1']).toMatchObject({
      accepted: false,
      message: 'timeout: no OK within 5000 ms',
    })
  })

  it('req: a relay without EOSE in time is named on stderr; exit 0 with what the others had', async () => {
    const { url } = await startRelayProcess()
    await run(['pub', url, '--sec', SEC, '--content', 'still printed'])
    const { code, stdout, stderr } = await run(['req', url, 'ws://127.0.0.1:1', '--timeout', '5000'])
    expect(code).toBe(0)
    expect(lines(stdout).map((line) => (JSON.parse(line) as { content: string }).content)).toEqual([
      'still printed',
    ])
    expect(stderr).toMatch(/no EOSE within 5000 ms from ws:\/\/127\.0\.0\.1:1$/m)
  })

  it('req --stream prints events published after EOSE, until SIGINT (exit 0)', async () => {
    const { url } = await startRelayProcess()
    const stream = start(['req', url, '--stream', '--filter', '{"kinds":[1]}'])
    // Stored or live, "before" arrives; once it is printed the subscription is live for "after".
    await run(['pub', url, '--sec', SEC, '--content', 'before'])
    await stream.line(/"content":"before"/)
    await run(['pub', url, '--sec', SEC, '--content', 'after'])
    await stream.line(/"content":"after"/)
    stream.child.kill('SIGINT')
    expect(await stream.exited()).toBe(0)
    expect(lines(stream.stdout())).toHaveLength(2)
  })
})

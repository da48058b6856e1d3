/** `honeybee relay` as a process: its first line, its logs, its options, shutdown, and hostile peers. */
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { lines, run, start, startRelayProcess } from './helpers/cli.js'

/** Opens a raw WebSocket to `url`, sends each envelope, and resolves with the first `count` replies. */
async function exchange(url: string, envelopes: readonly string[], count: number): Promise<unknown[]> {
  const socket = new WebSocket(url)
  const replies: unknown[] = []
  const done = new Promise<unknown[]>((resolve, reject) => {
    socket.on('message', (data) => {
      replies.push(JSON.parse(data.toString()))
      if (replies.length === count) resolve(replies)
    })
    socket.on('close', () => reject(new Error(`closed after ${replies.length} replies`)))
    socket.on('error', reject)
  })
  await once(socket, 'open')
  for (const envelope of envelopes) socket.send(envelope)
  try {
    return await done
  } finally {
    socket.removeAllListeners('close')
    socket.close()
  }
}

describe.concurrent('honeybee relay', { timeout: 60_000 }, () => {
  it('prints "listening ws://HOST:PORT" first with the real port, logs to stderr, closes on SIGTERM', async () => {
    const { url, cli } = await startRelayProcess()
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:(\d+)$/)
    expect(url).not.toBe('ws://127.0.0.1:0')
    await run(['req', url, '--timeout', '5000'])
    await cli.line(/connection \w+ opened \(1 open\)/, 20_000, 'stderr')
    cli.child.kill('SIGTERM')
    expect(await cli.exited()).toBe(0)
    expect(lines(cli.stdout())).toEqual([`listening ${url}`])
    expect(cli.stderr()).toMatch(/SIGTERM: closing/)
  })

  it('closes gracefully on SIGINT too', async () => {
    const { cli } = await startRelayProcess()
    cli.child.kill('SIGINT')
    expect(await cli.exited()).toBe(0)
    expect(cli.stderr()).toMatch(/SIGINT: closing\n.*closed with 0 events stored/)
  })

  it('a port in use is one line on stderr and exit 1', async () => {
    const { url } = await startRelayProcess()
    const port = new URL(url).port
    const { code, stdout, stderr } = await run(['relay', '--port', port])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toBe(`honeybee relay: cannot listen on 127.0.0.1:${port}: the port is in use\n`)
  })

  it('--max-message-size refuses a larger event; pub exits 1 with the reason', async () => {
    const { url } = await startRelayProcess(['--max-message-size', '1024'])
    const small = await run(['pub', url, '--content', 'small'])
    expect(small.code).toBe(0)
    const big = await run(['pub', url, '--content', 'x'.repeat(2000)])
    expect(big.code).toBe(1)
    expect(JSON.parse(big.stdout)).toMatchObject({
      relay: url,
      accepted: false,
      message: expect.stringMatching(/^invalid: /),
    })
  })

  it('--auth refuses REQ before NIP-42 authentication; req names the relay and its reason', async () => {
    const { url } = await startRelayProcess(['--auth'])
    const { code, stdout, stderr } = await run(['req', url, '--timeout', '5000'])
    expect(code).toBe(0)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/auth-required/)
  })

  it('--rate-limit answers a flood with rate-limited:', async () => {
    const { url } = await startRelayProcess(['--rate-limit', '1'])
    // COUNTs, which hold no subscription open: only the rate limit can refuse them.
    const counts = Array.from({ length: 40 }, (_, i) => `["COUNT","c${i}",{}]`)
    const replies = (await exchange(url, counts, 40)) as [string, string, string?][]
    expect(
      replies.some(([label, , message]) => label === 'CLOSED' && message?.startsWith('rate-limited:')),
    ).toBe(true)
  })

  it('survives malformed AUTH events and filters of the wrong shape, answering each', async () => {
    const { url, cli } = await startRelayProcess()
    const replies = await exchange(
      url,
      [
        '["AUTH",{}]',
        '["AUTH",{"kind":22242,"tags":[["challenge","x"]]}]',
        '["REQ","a",{"authors":5}]',
        '["REQ","b",{"#e":7}]',
        '["COUNT","c",{"kinds":"1"}]',
        '["REQ","ok",{"limit":0}]',
      ],
      6,
    )
    expect(replies).toEqual([
      ['OK', '', false, expect.stringMatching(/^invalid: /)],
      ['OK', '', false, expect.stringMatching(/^invalid: /)],
      ['CLOSED', 'a', 'invalid: authors must be an array of strings'],
      ['CLOSED', 'b', 'invalid: #e must be an array of strings'],
      ['CLOSED', 'c', 'invalid: kinds must be an array of integers'],
      ['EOSE', 'ok'],
    ])
    // Still serving.
    expect((await run(['pub', url, '--content', 'still here'])).code).toBe(0)
    expect(cli.child.exitCode).toBe(null)
  })

  it('serves NIP-11 on plain HTTP', async () => {
    const { url } = await startRelayProcess()
    const response = await fetch(url.replace('ws:', 'http:'), {
      headers: { accept: 'application/nostr+json' },
    })
    expect(await response.json()).toMatchObject({
      name: 'honeybee relay',
      supported_nips: expect.arrayContaining([1, 11]),
    })
  })

  it('--data in a place it cannot write is one line and exit 1', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'honeybee-relay-')), 'a-file')
    writeFileSync(file, '')
    const { code, stdout, stderr } = await run(['relay', '--port', '0', '--data', join(file, 'data')])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^honeybee relay: ENOTDIR: not a directory, mkdir '.*a-file\/data'\n$/)
  })

  it('keeps stdout to its one line while clients come and go', async () => {
    const cli = start(['relay', '--port', '0'])
    const [, url] = await cli.line(/^listening (ws:\/\/\S+)$/)
    await run(['pub', url as string, '--content', 'x'])
    await cli.line(/closed \(0 open\)/, 20_000, 'stderr')
    expect(cli.stdout()).toBe(`listening ${url}\n`)
  })
})

#!/usr/bin/env node
/**
 * hocuspocus-server.mjs — the anchor for `roomtone bench fanout`: an in-memory Hocuspocus server
 * (no extensions, so it keeps nothing) on a loopback port. Prints {"port": n} once listening and
 * runs until stdin closes or it is signalled.
 */
import { Server } from '@hocuspocus/server'

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: true })
await server.listen()
process.stdout.write(JSON.stringify({ port: server.address.port, pid: process.pid }) + '\n')
process.stdin.resume()
process.stdin.on('end', async () => { await server.destroy(); process.exit(0) })

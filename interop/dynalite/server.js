// server.js starts dynalite 4.0.0 (an independent DynamoDB implementation,
// in memory) on 127.0.0.1 on a free port for the capacity interop test. It
// prints {"port": N} on one line once it listens, and stops when its standard
// input closes, so that the Go test that started it controls its lifetime.
'use strict'

const dynalite = require('dynalite')

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n')
})
process.stdin.on('end', () => {
  server.close(() => process.exit(0))
  setTimeout(() => process.exit(0), 2000).unref()
})
process.stdin.resume()

// Connects to a XenAPI server with npm xen-api (Xen Orchestra's client) and reports, one JSON object per line,
// what the client itself saw: the connection, the pools, hosts and VMs in its object cache, the HTTP paths it
// posted to, and the power_state change of one VM arriving through its own event loop (event.from).
//
// usage: node xen-api-compat.mjs <url> <user> <password> <vm-uuid> [auto|json-rpc|xml-rpc]
// The driving test starts the VM after the "watching" line; the script exits 0 once it sees the change.
import diagnostics from 'node:diagnostics_channel'
import { createClient } from 'xen-api'

const [url, user, password, vmUuid, transport = 'auto'] = process.argv.slice(2)
const report = event => process.stdout.write(JSON.stringify(event) + '\n')

// Every request the client makes, as undici announces it: which transport "auto" settled on.
const posts = []
diagnostics.channel('undici:request:create').subscribe(({ request }) => posts.push(`${request.method} ${request.path}`))

const deadline = setTimeout(() => {
  report({ event: 'timeout', posts })
  process.exit(2)
}, 60_000)

const xapi = createClient({ url, auth: { user, password }, allowUnauthorized: true, transport })
try {
  await xapi.connect()
  report({ event: 'connected', status: xapi.status, pool: xapi.pool.$ref })

  await xapi.objectsFetched
  const all = Object.values(xapi.objects.all)
  const ofType = type => all.filter(o => o.$type === type)
  report({
    event: 'listed',
    pools: ofType('pool').map(p => ({ ref: p.$ref, uuid: p.uuid, master: p.master })),
    hosts: ofType('host').map(h => ({ ref: h.$ref, uuid: h.uuid, name_label: h.name_label, address: h.address })),
    vms: ofType('VM').map(v => ({ uuid: v.uuid, name_label: v.name_label, power_state: v.power_state, is_control_domain: v.is_control_domain })),
    types: [...new Set(all.map(o => o.$type))].sort(),
  })

  const vm = xapi.getObjectByUuid(vmUuid)
  const initial = vm.power_state
  const changed = new Promise(resolve => {
    xapi.objects.on('update', objects => {
      for (const object of Object.values(objects)) {
        if (object.$type === 'VM' && object.uuid === vmUuid && object.power_state !== initial) {
          resolve(object)
        }
      }
    })
  })
  report({ event: 'watching', uuid: vmUuid, power_state: initial })

  const updated = await changed
  report({ event: 'power_state', uuid: vmUuid, from: initial, to: updated.power_state, domid: updated.domid })
  report({ event: 'posts', posts: [...new Set(posts)] })
  clearTimeout(deadline)
  await xapi.disconnect()
  process.exit(0)
} catch (error) {
  report({ event: 'error', message: String(error?.message ?? error), code: error?.code, posts })
  process.exit(1)
}

// Dev helper: N handoffs through the visitor API, to try the inbox with many conversations.
//   node e2e/seed.mjs http://127.0.0.1:8787 10000 "manager please"
const [base, n = '1000', keyword = 'manager please'] = process.argv.slice(2);
const total = Number(n);
let done = 0;
async function one(i) {
  const r = await fetch(`${base}/v1/visitor/conversations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ channel: 'api', metadata: { seed: String(i) } }),
  });
  const s = await r.json();
  await fetch(`${base}/v1/visitor/conversations/${s.conversation.id}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Visitor-Token': s.visitor_token },
    body: JSON.stringify({ text: `Order #${1000 + i} is late, ${keyword}` }),
  });
  if (++done % 1000 === 0) console.log(done);
}
const queue = Array.from({ length: total }, (_, i) => i);
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (queue.length) await one(queue.shift());
  }),
);
console.log('seeded', done);

// Placeholder shell: lists the agents through the desktop app's single `rpc` command.
const { invoke } = window.__TAURI_INTERNALS__;

async function showAgents() {
  const list = document.getElementById('agents');
  const error = document.getElementById('error');
  try {
    const agents = await invoke('rpc', { command: 'agent_list', args: {} });
    list.replaceChildren(
      ...agents.map((agent) => {
        const item = document.createElement('li');
        item.textContent = agent.name;
        return item;
      }),
    );
    error.hidden = true;
  } catch (e) {
    // A core error has the HTTP error body's shape: { code, message, field, errors }.
    error.textContent = e && e.message ? `${e.code}: ${e.message}` : String(e);
    error.hidden = false;
  }
}

showAgents();

// Chat elements: an agent's action button groups and handover channels, the icon set and
// uploads, and what a visitor does with them (the Playground, as the website widget would).

import type {
  ButtonClick,
  ButtonGroup,
  ChannelChoice,
  ContactFormSubmit,
  HandoverChannels,
  VisitorSession,
} from '../bindings';
import { call, isDesktop, serverOrigin } from '../transport';

export const buttonGroupsGet = (agentId: number | null) =>
  call('button_groups_get', { agent_id: agentId ?? undefined });

/** Saves every group at once; new groups get their ids here. */
export const buttonGroupsSet = (agentId: number | null, groups: ButtonGroup[]) =>
  call('button_groups_set', { agent_id: agentId ?? undefined, groups });

export const handoverChannelsGet = (agentId: number | null) =>
  call('handover_channels_get', { agent_id: agentId ?? undefined });

export const handoverChannelsSet = (agentId: number | null, channels: HandoverChannels) =>
  call('handover_channels_set', { agent_id: agentId ?? undefined, channels });

/** The built-in icons whose name or keywords contain `search` (all when empty). */
export const iconList = (search: string) => call('icon_list', { search });

export const iconUpload = (fileName: string, dataBase64: string) =>
  call('icon_upload', { file_name: fileName, data_base64: dataBase64 });

const dataUrls = new Map<string, Promise<string>>();

/** Where an `<img>` finds an icon (`lucide:NAME` or `upload:ID`): the server's /v1/icons in a
 * browser; a data: URL in the desktop app, which has no server to load it from. */
export function iconSrc(icon: string): Promise<string> {
  if (!isDesktop()) {
    return Promise.resolve(`${serverOrigin() ?? ''}/v1/icons/${encodeURIComponent(icon)}`);
  }
  let p = dataUrls.get(icon);
  if (!p) {
    p = call('icon_data', { icon }).then((d) => d.data_url);
    p.catch(() => dataUrls.delete(icon));
    dataUrls.set(icon, p);
  }
  return p;
}

/** The icon reference in a visitor event's `icon_url` (`/v1/icons/lucide:x`). */
export function iconOfUrl(url: string): string {
  return decodeURIComponent(url.replace(/^\/v1\/icons\//, ''));
}

const scope = (s: VisitorSession) => ({
  conversation_id: s.conversation.id,
  visitor_token: s.visitor_token,
});

export const visitorButtonClick = (s: VisitorSession, click: ButtonClick) =>
  call('visitor_button_click', { ...scope(s), click });

export const visitorChannelChoose = (s: VisitorSession, choice: ChannelChoice) =>
  call('visitor_channel_choose', { ...scope(s), choice });

export const visitorHandoverEmail = (s: VisitorSession, form: ContactFormSubmit) =>
  call('visitor_handover_email', { ...scope(s), form });

/** A form action's form, sent: the agent's answer (now in the transcript). */
export const visitorActionForm = (
  s: VisitorSession,
  actionId: number,
  values: Record<string, unknown>,
) => call('visitor_action_form', { ...scope(s), action_id: actionId, form: { values } });

/** A button action's button, clicked: its action runs (a link's click is noted). */
export const visitorActionButton = (s: VisitorSession, actionId: number) =>
  call('visitor_action_button', { ...scope(s), action_id: actionId });

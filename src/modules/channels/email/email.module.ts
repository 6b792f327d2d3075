/** The email channel: inbound (SMTP listener, parsing, threading, loops and bounces, mailboxes) and outbound
 * (sending through SMTP with threading headers, IMAP polling). */
import type { EarshotModule } from '../../module.js';
import { combine } from '../index.js';
import inbound from './inbound.module.js';
import outbound from './outbound.module.js';

const module: EarshotModule = {
  name: 'email',
  tables: ['outbound_emails', 'mailboxes', 'email_messages', 'email_message_ids', 'imap_sources', 'mailbox_settings', 'mail_domains'],
  ...combine(inbound, outbound),
};
export default module;

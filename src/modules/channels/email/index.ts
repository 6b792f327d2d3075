/** The email channel: inbound (SMTP listener, parsing, threading, loops and bounces, mailboxes) and outbound
 * (sending through SMTP with threading headers, IMAP polling). */
import { combine } from '../module.js';
import inbound from './inbound.module.js';
import outbound from './outbound.module.js';

export const { routes, pages, jobs, start, cli } = combine(inbound, outbound);

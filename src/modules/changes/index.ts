/** The write ending every service uses (see record-change.ts). */
export { recordChange, type ChangeNotice, type ChangeRecord } from './record-change.js';

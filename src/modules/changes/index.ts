

export { recordChange, type ChangeNotice, type ChangeRecord } from './record-change.js';


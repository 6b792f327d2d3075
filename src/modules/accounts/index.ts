

export { addUser, createAccount, createTeam, createToken, findAccount, getAccount, principalFromSession, principalFromToken, setPresence } from './accounts.service.js';
export type { Account, User } from './accounts.service.js';


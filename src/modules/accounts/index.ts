

export { addUser, createAccount, createTeam, createToken, findAccount, getAccount, markAssigned, principalFromSession, principalFromToken, setPresence } from './accounts.service.js';
export type { Account, User } from './accounts.service.js';


/*
 * The branch office: helpers you call and do not edit. They note, in shared memory,
 * which thread did each piece of work, so that the checks can see it.
 */
import { Event, SharedInt32Array, currentThread, print } from '@threadlings/core';

/** What the branch's threads share. */
export interface Office {
  /** [thread that ran the backup, thread that served the customers, backup finished (1), backup finished when the branch closed (1)] */
  readonly log: SharedInt32Array;
  /** Set once the customers have been served. */
  readonly served: Event;
}

const BACKUP_BY = 0;
const SERVED_BY = 1;
const BACKUP_DONE = 2;
const CLOSED_AFTER_BACKUP = 3;

/** A new office, with nothing done yet. */
export function openOffice(): Office {
  return { log: new SharedInt32Array(4, { name: 'office log' }), served: new Event({ name: 'customers served' }) };
}

/**
 * Backs up the day's files. It is slow: it goes on copying until the customers of the day
 * have been served, so it must run in the background while the counter is open.
 */
export function backUp(office: Office): void {
  office.log.set(BACKUP_BY, currentThread().ident ?? -1);
  office.served.wait();
  office.log.set(BACKUP_DONE, 1);
}

/** Serves the customers at the counter: the caller's own work. */
export function serveCustomers(office: Office): void {
  office.log.set(SERVED_BY, currentThread().ident ?? -1);
  print(`customers served by ${currentThread().name}`);
  office.served.set();
}

/** Closes the branch: only once the backup has finished. */
export function closeBranch(office: Office): void {
  office.log.set(CLOSED_AFTER_BACKUP, office.log.get(BACKUP_DONE));
}

/** What the log says, for the checks. */
export function readLog(office: Office): { backupBy: number; servedBy: number; backupDone: boolean; closedAfterBackup: boolean } {
  const [backupBy = 0, servedBy = 0, done = 0, closed = 0] = office.log.toArray();
  return { backupBy, servedBy, backupDone: done === 1, closedAfterBackup: closed === 1 };
}

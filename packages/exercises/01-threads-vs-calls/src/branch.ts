import { Thread, currentThread } from '@threadlings/core';
import { backUp, closeBranch, openOffice, serveCustomers, type Office } from './lib/office.ts';

/**
 * A day at the branch: the backup runs in the background while the caller serves the
 * customers, and the branch closes once the backup has finished.
 */
export function openBranch(office: Office): void {
  const backup = new Thread({ target: backUp, args: [office], name: 'backup' });
  // TODO: run() calls backUp() right here, on this thread: the backup waits for the
  // customers to be served, and this thread never gets to serve them. Start the backup
  // on a thread of its own instead, serve the customers meanwhile, and wait for the
  // backup to finish before closing the branch.
  backup.run();
  serveCustomers(office);
  closeBranch(office);
}

export function main(): void {
  console.log(`the branch opens on ${currentThread().name}`);
  openBranch(openOffice());
  console.log('the branch is closed');
}

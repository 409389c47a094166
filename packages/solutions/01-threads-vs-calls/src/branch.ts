import { Thread, currentThread } from '@threadlings/core';
import { backUp, closeBranch, openOffice, serveCustomers, type Office } from './lib/office.ts';

/**
 * A day at the branch: the backup runs in the background while the caller serves the
 * customers, and the branch closes once the backup has finished.
 */
export function openBranch(office: Office): void {
  const backup = new Thread({ target: backUp, args: [office], name: 'backup' });
  // start() runs backUp on a new thread and returns at once: the caller serves meanwhile,
  // then join() waits for the backup before the branch closes.
  backup.start();
  serveCustomers(office);
  backup.join();
  closeBranch(office);
}

export function main(): void {
  console.log(`the branch opens on ${currentThread().name}`);
  openBranch(openOffice());
  console.log('the branch is closed');
}

import { Thread, currentThread } from '@threadlings/core';
import { backUp, closeBranch, openOffice, serveCustomers, type Office } from './lib/office.ts';

/**
 * A day at the branch: the backup runs in the background while the caller serves the
 * customers, and the branch closes once the backup has finished.
 */
export function openBranch(office: Office): void {
  const backup = new Thread({ target: backUp, args: [office], name: 'backup' });
  backup.start();
  backup.join();
  serveCustomers(office);
  closeBranch(office);
}

export function main(): void {
  console.log(`the branch opens on ${currentThread().name}`);
  openBranch(openOffice());
  console.log('the branch is closed');
}

/**
 * Calls `gone` once when the process that started this one is gone, however it went (a clean stop, a crash, SIGKILL,
 * the OOM killer): a child started with an IPC channel (the launcher starts every service so) sees that channel close
 * when its parent dies, since the kernel closes the parent's end of the socket. A process started without one (by
 * hand, by systemd, in a container) has no launcher to outlive, and is left alone.
 */
export function onParentGone(gone: () => void): void {
  if (typeof process.send !== 'function') return;
  // Gone before this was called (while modules loaded): the 'disconnect' event has passed already.
  if (!process.connected) {
    setImmediate(gone);
    return;
  }
  process.once('disconnect', gone);
}

/**
 * `@evring/backend-epoll`: libev's epoll backend re-built on `@evring/sys`,
 * with generation-tagged registrations, the ENOENT/EEXIST fallbacks, an
 * always-ready list for files epoll refuses, a growing event buffer, EINTR
 * absorbed with the remaining time, and immediate removal.
 *
 * @packageDocumentation
 */
export { EpollBackend, type EpollOptions, epollBackend } from './epoll-backend.js';

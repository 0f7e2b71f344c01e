/**
 * Pekko typed actors: one authoritative RoomEntity per room, connection sessions, presence and
 * the suggestion ledger.
 */
package dev.roomtone.actors;

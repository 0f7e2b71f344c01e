/**
 * Compute devices (CPU, CUDA, OpenCL) and the scheduler that shares them fairly between room
 * sessions.
 */
package dev.roomtone.gpu;

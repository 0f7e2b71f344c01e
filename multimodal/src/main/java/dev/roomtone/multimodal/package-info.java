/**
 * Model execution on the scheduler's devices: the in-process LLM engine, on-prem model server
 * backends and the model catalog.
 */
package dev.roomtone.multimodal;

/**
 * The interop server ({@link dev.switchboard.interop.InteropServer}) and client ({@link
 * dev.switchboard.interop.InteropClient}) programs. Not exported.
 */
package dev.switchboard.interop;

/** OSGi glue: the Declarative Services component binding reflection to Server services. */
package dev.switchboard.reflection.internal;

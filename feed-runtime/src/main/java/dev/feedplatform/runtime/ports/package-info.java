/**
 * Ports: what one feature module offers the others, as interfaces here, implemented
 * inside the owning module. Feature modules never compile against each other (ArchUnit),
 * so the detail page reads counts, reactions and profiles through these.
 */
package dev.feedplatform.runtime.ports;

package io.quire.cli;

/** A command that can print data as JSON; its errors then go to stderr as JSON too. */
interface JsonOutput {
    boolean json();
}

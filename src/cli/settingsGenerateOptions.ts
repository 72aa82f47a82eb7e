// The option checks are portable: they live in core (the library's createSettings makes them too).
export * from '../core/settingsOptions';

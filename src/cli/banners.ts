// The banners are plain text, shared with the portable core (createPackage's warnings).
export * from '../core/banners';

// Remembers the theme for a year; the server reads it to render the next page (ThemeCookie.cs).
export function remember(theme) {
    document.cookie = `theme=${theme}; path=/; max-age=31536000; samesite=lax`;
}

package io.quire.windows.pricing;

/**
 * A Black-Scholes price and its sensitivities, in the units of {@link BlackScholes}: price in
 * dollars per share; delta per dollar of spot; gamma per dollar² ; vega per 1.0 (100 points) of
 * volatility; theta per year (divide by 365 for calendar days).
 */
public record Greeks(double price, double delta, double gamma, double vega, double theta) {}

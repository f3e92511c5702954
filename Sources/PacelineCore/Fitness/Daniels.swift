import Foundation

/// The Daniels–Gilbert equations (*Oxygen Power*, 1979), the basis of every VDOT figure.
/// Speeds are meters per minute, times minutes, oxygen uptake ml·kg⁻¹·min⁻¹.
public enum Daniels {
    /// Oxygen cost of running at speed `v`: −4.60 + 0.182258·v + 0.000104·v².
    public static func oxygenCost(metersPerMinute v: Double) -> Double {
        -4.60 + 0.182258 * v + 0.000104 * v * v
    }

    /// Fraction of VO2max sustainable for `t` minutes:
    /// 0.8 + 0.1894393·e^(−0.012778·t) + 0.2989558·e^(−0.1932605·t).
    public static func sustainableFraction(minutes t: Double) -> Double {
        0.8 + 0.1894393 * exp(-0.012778 * t) + 0.2989558 * exp(-0.1932605 * t)
    }

    /// The speed whose oxygen cost is `vo2`: the positive root of the cost quadratic
    /// (exact, not the regression approximation some tables use).
    public static func speed(forOxygenCost vo2: Double) -> Double {
        let a = 0.000104, b = 0.182258, c = -4.60 - vo2
        let discriminant = b * b - 4 * a * c
        return (-b + discriminant.squareRoot()) / (2 * a)
    }

    /// VDOT for running `meters` in `seconds`.
    public static func vdot(meters: Double, seconds: Double) -> Double {
        let minutes = seconds / 60
        return oxygenCost(metersPerMinute: meters / minutes) / sustainableFraction(minutes: minutes)
    }

    /// The time (seconds) in which an athlete of `vdot` races `meters`: solves
    /// `vdot(meters, t) = vdot` for t. VDOT falls strictly as t grows, so bisection on a
    /// bracket converges; 60 halvings of a bracket under a day leave well under a millisecond.
    public static func raceTime(meters: Double, vdot target: Double) -> Double {
        // Bracket in seconds: faster than any human (12 m/s) to slower than a walk (0.3 m/s).
        var fast = meters / 12, slow = meters / 0.3
        for _ in 0..<60 {
            let mid = 0.5 * (fast + slow)
            if vdot(meters: meters, seconds: mid) > target { fast = mid } else { slow = mid }
        }
        return 0.5 * (fast + slow)
    }

    /// Riegel's endurance formula T2 = T1·(D2/D1)^1.06, shown as a second opinion.
    public static func riegelTime(fromMeters d1: Double, seconds t1: Double, toMeters d2: Double) -> Double {
        t1 * pow(d2 / d1, riegelExponent)
    }

    public static let riegelExponent = 1.06
}

"""People workflows: coaching (1:1 agendas, feedback reframer, leader habits, calibration), voice, pulse, recognition."""

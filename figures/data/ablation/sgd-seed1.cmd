build/cc-native/lenet train --data data/mnist --arch paper --optimizer sgd --rate 0.0005 --passes 10 --seed 1  --model build/ablation/sgd-seed1.model --log figures/data/ablation/sgd-seed1.csv
